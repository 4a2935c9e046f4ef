//! Realistic synthetic Dockerfiles for the benchmarks, generated in memory.
//!
//! `go_services(lines)` repeats a multi-stage Go service build (a builder stage with
//! ARG/ENV/WORKDIR/COPY, long `\` continuation chains, `--mount` cache flags, heredocs
//! and comments, then a distroless runtime stage with exec-form CMD/ENTRYPOINT) until
//! the text has at least `lines` lines. `GO_60` is a hand-written 60-line Dockerfile of
//! the kind a Go project ships.

#![allow(dead_code)]

use std::fmt::Write;

/// A typical single-service Go Dockerfile: 60 lines.
pub const GO_60: &str = r#"# syntax=docker/dockerfile:1.7

ARG GO_VERSION=1.22
ARG ALPINE_VERSION=3.19

# Build stage: compile a static binary with module and build caches.
FROM --platform=$BUILDPLATFORM golang:${GO_VERSION}-alpine${ALPINE_VERSION} AS build
ARG TARGETOS
ARG TARGETARCH
ARG VERSION=dev
ENV CGO_ENABLED=0 \
    GOFLAGS=-trimpath \
    GOPROXY=https://proxy.golang.org,direct
WORKDIR /src

RUN apk add --no-cache git ca-certificates tzdata \
    && update-ca-certificates

# Download modules first so that this layer is cached across source changes.
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod \
    go mod download && go mod verify

COPY . .
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    GOOS=${TARGETOS} GOARCH=${TARGETARCH} \
    go build \
        -ldflags="-s -w -X main.version=${VERSION}" \
        -tags netgo,osusergo \
        -o /out/server \
        ./cmd/server

# Unit tests run in their own stage: `docker build --target test .`
FROM build AS test
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    go test -count=1 ./...

# Runtime stage: no shell, no package manager, non-root.
FROM gcr.io/distroless/static-debian12:nonroot AS runtime
ARG VERSION=dev
LABEL org.opencontainers.image.title="server" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.source="https://github.com/example/server"
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/
COPY --from=build /usr/share/zoneinfo /usr/share/zoneinfo
COPY --from=build --chown=65532:65532 /out/server /usr/local/bin/server
COPY <<EOF /etc/server/config.yaml
listen: ":8080"
log_level: info
EOF
ENV TZ=UTC
WORKDIR /home/nonroot
USER 65532:65532
EXPOSE 8080/tcp
HEALTHCHECK --interval=30s --timeout=3s --start-period=5s --retries=3 \
    CMD ["/usr/local/bin/server", "healthcheck"]
ENTRYPOINT ["/usr/local/bin/server"]
CMD ["serve", "--config", "/etc/server/config.yaml"]
"#;

/// The file header: parser directives and global build arguments.
const HEADER: &str = r#"# syntax=docker/dockerfile:1.7
# check=error=true
#
# Monorepo build: one builder stage and one runtime stage per service.

ARG GO_VERSION=1.22
ARG ALPINE_VERSION=3.19
ARG DISTROLESS=gcr.io/distroless/static-debian12:nonroot
"#;

/// A multi-stage Go Dockerfile of at least `lines` lines: the header, then whole
/// services (builder + runtime stage, about 100 lines each).
pub fn go_services(lines: usize) -> String {
    let mut s = String::with_capacity(lines * 40);
    s.push_str(HEADER);
    let mut i = 0;
    while s.lines().count() < lines {
        service(&mut s, i);
        i += 1;
    }
    s
}

/// An offset in the middle of the physical line `        -o /out/svcN \` of the
/// `go build` RUN instruction nearest after the middle of `text`: deep inside a long
/// continuation chain, so a keystroke there re-parses a 12-line instruction.
pub fn mid_run_offset(text: &str) -> usize {
    let needle = "        -o /out/svc";
    let from = text.len() / 2;
    let at = text[from..]
        .find(needle)
        .map(|i| from + i)
        .or_else(|| text.find(needle))
        .expect("a go build RUN line");
    at + needle.len() - 4 // between "/out" and "/svc"
}

fn service(s: &mut String, i: usize) {
    let port = 8000 + i;
    write!(
        s,
        r#"
# ---------------------------------------------------------------------------
# svc{i}: builder
# ---------------------------------------------------------------------------
FROM --platform=$BUILDPLATFORM golang:${{GO_VERSION}}-alpine${{ALPINE_VERSION}} AS build-svc{i}
ARG TARGETOS
ARG TARGETARCH
ARG VERSION=dev
ARG COMMIT=unknown
ENV CGO_ENABLED=0 \
    GOFLAGS="-trimpath -mod=readonly" \
    GOPROXY=https://proxy.golang.org,direct \
    GOCACHE=/root/.cache/go-build \
    GOMODCACHE=/go/pkg/mod
WORKDIR /src/svc{i}

# System packages for cgo-free builds, certificates and time zones.
RUN apk add --no-cache \
        git \
        ca-certificates \
        tzdata \
        make \
        protobuf \
        protobuf-dev \
    && update-ca-certificates \
    && addgroup -S app \
    && adduser -S -G app -H -s /sbin/nologin app \
    && rm -rf /var/cache/apk/*

# Modules first: this layer only changes with go.mod/go.sum.
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    go mod download \
    && go mod verify

COPY --link cmd/svc{i}/ ./cmd/svc{i}/
COPY --link internal/ ./internal/
COPY --link pkg/ ./pkg/
COPY --link api/ ./api/

# Generated code and build metadata.
RUN <<EOF
set -eux
go install google.golang.org/protobuf/cmd/protoc-gen-go@v1.33.0
protoc --go_out=. --go_opt=paths=source_relative api/svc{i}.proto
go generate ./...
mkdir -p /out
echo "${{VERSION}}" > /out/VERSION
EOF

COPY <<-'EOT' /src/svc{i}/config.yaml
	listen: ":{port}"
	log_level: info
	metrics: true
	EOT

RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    --mount=type=bind,source=.,target=/src/svc{i},rw \
    GOOS=${{TARGETOS}} GOARCH=${{TARGETARCH}} \
    go build \
        -trimpath \
        -ldflags="-s -w \
            -X main.version=${{VERSION}} \
            -X main.commit=${{COMMIT}}" \
        -tags netgo,osusergo \
        -o /out/svc{i} \
        ./cmd/svc{i}

# Tests and vet (cached); fail the build on either.
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    go vet ./... \
    && go test -short -count=1 ./internal/... ./pkg/...

# ---------------------------------------------------------------------------
# svc{i}: runtime
# ---------------------------------------------------------------------------
FROM ${{DISTROLESS}} AS svc{i}
ARG VERSION=dev
LABEL org.opencontainers.image.title="svc{i}" \
      org.opencontainers.image.version="${{VERSION}}" \
      org.opencontainers.image.vendor="Example" \
      org.opencontainers.image.source="https://github.com/example/monorepo"
COPY --from=build-svc{i} /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/
COPY --from=build-svc{i} /usr/share/zoneinfo /usr/share/zoneinfo
COPY --from=build-svc{i} /src/svc{i}/config.yaml /etc/svc{i}/config.yaml
COPY --from=build-svc{i} --chown=65532:65532 /out/svc{i} /usr/local/bin/svc{i}
ENV TZ=UTC
WORKDIR /home/nonroot
USER 65532:65532
EXPOSE {port}/tcp
HEALTHCHECK --interval=30s --timeout=3s --start-period=5s --retries=3 \
    CMD ["/usr/local/bin/svc{i}", "healthcheck"]
ENTRYPOINT ["/usr/local/bin/svc{i}"]
CMD ["serve", "--config", "/etc/svc{i}/config.yaml"]
"#
    )
    .unwrap();
}
