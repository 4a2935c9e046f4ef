use super::*;
use crate::context::NoContext;

fn run(text: &str, target: Target) -> Outcome {
    refactor(text, &NoContext, "Dockerfile", target, Lang::En)
}

fn rewritten(text: &str, target: Target) -> String {
    match run(text, target) {
        Outcome::Rewritten(t) => t,
        other => panic!("expected a rewrite, got {other:?}"),
    }
}

const BASIC: &str = "FROM golang:1.21-alpine\n\nWORKDIR /app\nCOPY . .\n\nRUN go mod download\nRUN go build -o main .\n\nEXPOSE 8080\nCMD [\"./main\"]\n";

#[test]
fn basic_to_multi_stage() {
    let out = rewritten(BASIC, Target::MultiStage);
    assert_eq!(
        out,
        "FROM golang:1.21-alpine AS builder\n\nWORKDIR /app\nCOPY go.* ./\nRUN go mod download\nCOPY . .\n\nRUN CGO_ENABLED=0 go build -o main .\n\n# Runtime image: only the binary and the files it needs at run time.\nFROM alpine:3.24\nRUN apk --no-cache add ca-certificates\nRUN adduser -D -g '' appuser\nWORKDIR /app\nCOPY --from=builder /app/main ./main\nEXPOSE 8080\n# The app now runs as a non-root user: a folder it writes to must belong to that user (COPY --chown).\nUSER appuser\nCMD [\"./main\"]\n"
    );
    // Twice: nothing left to do.
    assert!(matches!(
        run(&out, Target::MultiStage),
        Outcome::Unchanged(_)
    ));
}

#[test]
fn basic_to_scratch_composes() {
    let out = rewritten(BASIC, Target::Scratch);
    assert!(out.contains("FROM scratch"), "{out}");
    assert!(
        out.contains("COPY --from=builder /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/"),
        "{out}"
    );
    assert!(out.contains("USER 65532:65532"), "{out}");
    assert!(!out.contains("RUN apk"), "{out}");
    assert!(matches!(run(&out, Target::Scratch), Outcome::Unchanged(_)));
}

#[test]
fn declines_without_a_go_build() {
    assert!(matches!(
        run("FROM alpine:3.20\nRUN echo hi\n", Target::MultiStage),
        Outcome::Declined(_)
    ));
}

#[test]
fn never_panics_on_odd_input() {
    for t in [
        "",
        "FROM",
        "FROM golang\nRUN go build\n",
        "FROM golang AS x\nFROM x\nRUN go build -o /a .\nCMD /a\n",
        "\u{feff}FROM golang:1.22\nRUN [\"go\", \"build\"]\n",
    ] {
        for target in Target::ALL {
            let _ = run(t, target);
        }
    }
}

#[test]
fn names_it_cannot_write_safely_are_declined() {
    // Found by fuzzing: a USER value went into `RUN adduser … 6553<<2`, a heredoc.
    let odd_user = "FROM golang:1.22-alpine\nWORKDIR /app\nCOPY . .\nRUN go build -o /app/x .\nUSER 6553<<2:65532\nENTRYPOINT [\"/app/x\"]\n";
    assert!(matches!(
        run(odd_user, Target::MultiStage),
        Outcome::Declined(_)
    ));
    let var_pkg = "FROM golang:1.22-alpine\nARG PKGS\nRUN apk add --no-cache $PKGS\nWORKDIR /app\nCOPY . .\nRUN go build -o /app/x .\nENTRYPOINT [\"/app/x\"]\n";
    assert!(matches!(
        run(var_pkg, Target::MultiStage),
        Outcome::Declined(_)
    ));
    let spaced = "FROM golang:1.22-alpine\nWORKDIR /app\nCOPY . .\nRUN go build -o \"/app/my app\" .\nENTRYPOINT [\"/app/my app\"]\n";
    assert!(matches!(
        run(spaced, Target::MultiStage),
        Outcome::Declined(_)
    ));
}

#[test]
fn a_stage_name_buildkit_would_refuse_is_referred_to_by_index() {
    // Found by fuzzing: `--from=bu;lder/app"]` broke the generated COPY.
    let text = "FROM golang:1.22-alpine AS bu;lder/app\"]\nWORKDIR /src\nCOPY . .\nRUN go build -o /src/app .\nCMD [\"/src/app\"]\n";
    let out = rewritten(text, Target::MultiStage);
    assert!(out.contains("COPY --from=0 /src/app ./app"), "{out}");
}

#[test]
fn an_instruction_continued_to_the_end_of_the_file_is_declined() {
    // Found by fuzzing: the appended runtime stage became part of the builder's last RUN.
    let text = "FROM golang:1.22-alpine\nWORKDIR /app\nCOPY . .\nRUN go build -o /app/x .\nRUN apk add curl \\\n  ";
    assert!(matches!(
        run(text, Target::MultiStage),
        Outcome::Declined(_)
    ));
    assert!(matches!(run(text, Target::Scratch), Outcome::Declined(_)));
}
