//! `.dockerignore` tests. The tables are ported from moby/patternmatcher's own tests
//! (`patternmatcher_test.go`: TestMatches, TestMatch, TestCompile;
//! `ignorefile/ignorefile_test.go`: TestReadAll), then Docker behaviours worth pinning.

use super::dockerignore::{glob_syntax_ok, go_clean, read_all, translate, MatchKind};
use super::dockerignore::{DockerIgnore, PatternErrorKind};
use super::{find_dockerignore, MemoryContext, NoContext};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Pass {
    Fail,
    Exact,
    Inexact,
}
use Pass::*;

/// TestMatches' single-pattern table (Linux cases included).
const MATCHES: &[(&str, &str, Pass)] = &[
    ("**", "file", Exact),
    ("**", "file/", Exact),
    ("**/", "file", Exact),
    ("**/", "file/", Exact),
    ("**", "/", Exact),
    ("**/", "/", Exact),
    ("**", "dir/file", Exact),
    ("**/", "dir/file", Exact),
    ("**", "dir/file/", Exact),
    ("**/", "dir/file/", Exact),
    ("**/**", "dir/file", Exact),
    ("**/**", "dir/file/", Exact),
    ("dir/**", "dir/file", Exact),
    ("dir/**", "dir/file/", Exact),
    ("dir/**", "dir/dir2/file", Exact),
    ("dir/**", "dir/dir2/file/", Exact),
    ("**/dir", "dir", Exact),
    ("**/dir", "dir/file", Inexact),
    ("**/dir2/*", "dir/dir2/file", Exact),
    ("**/dir2/*", "dir/dir2/file/", Inexact),
    ("**/dir2/**", "dir/dir2/dir3/file", Exact),
    ("**/dir2/**", "dir/dir2/dir3/file/", Exact),
    ("**file", "file", Exact),
    ("**file", "dir/file", Exact),
    ("**/file", "dir/file", Exact),
    ("**file", "dir/dir/file", Exact),
    ("**/file", "dir/dir/file", Exact),
    ("**/file*", "dir/dir/file", Exact),
    ("**/file*", "dir/dir/file.txt", Exact),
    ("**/file*txt", "dir/dir/file.txt", Exact),
    ("**/file*.txt", "dir/dir/file.txt", Exact),
    ("**/file*.txt*", "dir/dir/file.txt", Exact),
    ("**/**/*.txt", "dir/dir/file.txt", Exact),
    ("**/**/*.txt2", "dir/dir/file.txt", Fail),
    ("**/*.txt", "file.txt", Exact),
    ("**/**/*.txt", "file.txt", Exact),
    ("a**/*.txt", "a/file.txt", Exact),
    ("a**/*.txt", "a/dir/file.txt", Exact),
    ("a**/*.txt", "a/dir/dir/file.txt", Exact),
    ("a/*.txt", "a/dir/file.txt", Fail),
    ("a/*.txt", "a/file.txt", Exact),
    ("a/*.txt**", "a/file.txt", Exact),
    ("a[b-d]e", "ae", Fail),
    ("a[b-d]e", "ace", Exact),
    ("a[b-d]e", "aae", Fail),
    ("a[^b-d]e", "aze", Exact),
    (".*", ".foo", Exact),
    (".*", "foo", Fail),
    ("abc.def", "abcdef", Fail),
    ("abc.def", "abc.def", Exact),
    ("abc.def", "abcZdef", Fail),
    ("abc?def", "abcZdef", Exact),
    ("abc?def", "abcdef", Fail),
    ("**/foo/bar", "foo/bar", Exact),
    ("**/foo/bar", "dir/foo/bar", Exact),
    ("**/foo/bar", "dir/dir2/foo/bar", Exact),
    ("abc/**", "abc", Fail),
    ("abc/**", "abc/def", Exact),
    ("abc/**", "abc/def/ghi", Exact),
    ("**/.foo", ".foo", Exact),
    ("**/.foo", "bar.foo", Fail),
    ("a(b)c/def", "a(b)c/def", Exact),
    ("a(b)c/def", "a(b)c/xyz", Fail),
    ("a.|)$(}+{bc", "a.|)$(}+{bc", Exact),
    (
        "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl",
        "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl",
        Exact,
    ),
    (
        "dist/*.whl",
        "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl",
        Exact,
    ),
    // Unix only.
    ("a\\\\", "a\\", Exact),
    ("a\\*b", "a*b", Exact),
];

/// TestMatches' multi-pattern table.
const MULTI: &[(&[&str], &str, Pass)] = &[
    (&["**", "!util/docker/web"], "util/docker/web/foo", Fail),
    (
        &["**", "!util/docker/web", "util/docker/web/foo"],
        "util/docker/web/foo",
        Exact,
    ),
    (
        &[
            "**",
            "!dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl",
        ],
        "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl",
        Fail,
    ),
    (
        &["**", "!dist/*.whl"],
        "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl",
        Fail,
    ),
];

fn single(pattern: &str) -> DockerIgnore {
    let di = DockerIgnore::parse(pattern);
    assert!(di.errors().is_empty(), "{pattern:?}: {:?}", di.errors());
    assert_eq!(di.patterns().len(), 1, "{pattern:?}");
    di
}

/// The test's "MatchesUsingParentResults" walk: every parent of `text`, then `text`.
fn chained(di: &DockerIgnore, text: &str) -> bool {
    let parent = match text.rfind('/') {
        Some(i) => go_clean(&text[..=i]),
        None => ".".to_string(),
    };
    let mut info: Option<Vec<bool>> = None;
    if parent != "." {
        let dirs: Vec<&str> = parent.split('/').collect();
        for i in 0..dirs.len() {
            let (_, next) = di
                .using_parent_results(&dirs[..=i].join("/"), info.as_deref(), true)
                .unwrap();
            info = Some(next);
        }
    }
    di.using_parent_results(text, info.as_deref(), true)
        .unwrap()
        .0
}

#[test]
fn patternmatcher_matches_table() {
    for &(pattern, text, pass) in MATCHES {
        let di = single(pattern);
        let desc = format!("pattern={pattern:?} text={text:?}");
        // MatchesExact
        assert_eq!(
            di.patterns()[0].matches(text),
            Some(pass == Exact),
            "exact {desc}"
        );
        // MatchesOrParentMatches
        assert_eq!(
            di.or_parent_matches(text, true),
            Ok(pass != Fail),
            "parents {desc}"
        );
        // MatchesUsingParentResults (chained) and with no parent information
        assert_eq!(chained(&di, text), pass != Fail, "chained {desc}");
        assert_eq!(
            di.using_parent_results(text, None, true).unwrap().0,
            pass != Fail,
            "no context {desc}"
        );
        // What BuildKit sends (our public API normalizes the path first).
        if text != "/" {
            assert_eq!(di.is_excluded(text), pass != Fail, "is_excluded {desc}");
        }
    }
}

#[test]
fn patternmatcher_multi_pattern_table() {
    for &(patterns, text, pass) in MULTI {
        let di = DockerIgnore::parse(&patterns.join("\n"));
        assert!(di.errors().is_empty());
        let desc = format!("patterns={patterns:?} text={text:?}");
        assert_eq!(di.or_parent_matches(text, true), Ok(pass != Fail), "{desc}");
        assert_eq!(chained(&di, text), pass != Fail, "{desc}");
        assert_eq!(di.is_excluded(text), pass != Fail, "{desc}");
        assert_eq!(
            di.matches_or_parent_matches(text),
            Ok(pass != Fail),
            "{desc}"
        );
    }
}

/// TestMatch: Go's filepath.Match tests as patternmatcher runs them
/// (pattern, name, matches, bad pattern).
const FILEPATH_MATCH: &[(&str, &str, bool, bool)] = &[
    ("abc", "abc", true, false),
    ("*", "abc", true, false),
    ("*c", "abc", true, false),
    ("a*", "a", true, false),
    ("a*", "abc", true, false),
    ("a*", "ab/c", true, false),
    ("a*/b", "abc/b", true, false),
    ("a*/b", "a/c/b", false, false),
    ("a*b*c*d*e*/f", "axbxcxdxe/f", true, false),
    ("a*b*c*d*e*/f", "axbxcxdxexxx/f", true, false),
    ("a*b*c*d*e*/f", "axbxcxdxe/xxx/f", false, false),
    ("a*b*c*d*e*/f", "axbxcxdxexxx/fff", false, false),
    ("a*b?c*x", "abxbbxdbxebxczzx", true, false),
    ("a*b?c*x", "abxbbxdbxebxczzy", false, false),
    ("ab[c]", "abc", true, false),
    ("ab[b-d]", "abc", true, false),
    ("ab[e-g]", "abc", false, false),
    ("ab[^c]", "abc", false, false),
    ("ab[^b-d]", "abc", false, false),
    ("ab[^e-g]", "abc", true, false),
    ("a\\*b", "a*b", true, false),
    ("a\\*b", "ab", false, false),
    ("a?b", "a☺b", true, false),
    ("a[^a]b", "a☺b", true, false),
    ("a???b", "a☺b", false, false),
    ("a[^a][^a][^a]b", "a☺b", false, false),
    ("[a-ζ]*", "α", true, false),
    ("*[a-ζ]", "A", false, false),
    ("a?b", "a/b", false, false),
    ("a*b", "a/b", false, false),
    ("[\\]a]", "]", true, false),
    ("[\\-]", "-", true, false),
    ("[x\\-]", "x", true, false),
    ("[x\\-]", "-", true, false),
    ("[x\\-]", "z", false, false),
    ("[\\-x]", "x", true, false),
    ("[\\-x]", "-", true, false),
    ("[\\-x]", "a", false, false),
    ("[]a]", "]", false, true),
    ("[-]", "-", false, true),
    ("[x-]", "x", false, true),
    ("[x-]", "-", false, true),
    ("[x-]", "z", false, true),
    ("[-x]", "x", false, true),
    ("[-x]", "-", false, true),
    ("[-x]", "a", false, true),
    ("\\", "a", false, true),
    ("[a-b-c]", "a", false, true),
    ("[", "a", false, true),
    ("[^", "a", false, true),
    ("[^bc", "a", false, true),
    ("a[", "a", false, true),
    ("a[", "ab", false, true),
    ("*x", "xxx", true, false),
];

#[test]
fn filepath_match_table() {
    for &(pattern, name, want, bad) in FILEPATH_MATCH {
        let di = DockerIgnore::parse(pattern);
        let desc = format!("pattern={pattern:?} name={name:?}");
        assert_eq!(glob_syntax_ok(pattern), !bad, "syntax {desc}");
        if bad {
            assert_eq!(di.errors().len(), 1, "{desc}");
            assert_eq!(di.errors()[0].kind, PatternErrorKind::BadPattern, "{desc}");
            assert!(di.fails_build());
            assert!(di.patterns().is_empty());
            assert!(!di.is_excluded(name));
        } else {
            assert!(di.errors().is_empty(), "{desc}: {:?}", di.errors());
            assert_eq!(di.matches_or_parent_matches(name), Ok(want), "{desc}");
            assert_eq!(di.is_excluded(name), want, "{desc}");
        }
    }
}

/// TestCompile (the `/` separator): match kind and generated regexp.
const COMPILE: &[(&str, MatchKind, &str)] = &[
    ("*", MatchKind::Regex, r"^[^/]*$"),
    ("file*", MatchKind::Regex, r"^file[^/]*$"),
    ("*file", MatchKind::Regex, r"^[^/]*file$"),
    ("a*/b", MatchKind::Regex, r"^a[^/]*/b$"),
    ("**", MatchKind::Suffix, ""),
    ("**/**", MatchKind::Regex, r"^(.*/)?.*$"),
    ("dir/**", MatchKind::Prefix, ""),
    ("**/dir", MatchKind::Suffix, ""),
    ("**/dir2/*", MatchKind::Regex, r"^(.*/)?dir2/[^/]*$"),
    ("**/dir2/**", MatchKind::Regex, r"^(.*/)?dir2/.*$"),
    ("**file", MatchKind::Suffix, ""),
    ("**/file*txt", MatchKind::Regex, r"^(.*/)?file[^/]*txt$"),
    ("**/**/*.txt", MatchKind::Regex, r"^(.*/)?(.*/)?[^/]*\.txt$"),
    ("a[b-d]e", MatchKind::Regex, r"^a[b-d]e$"),
    (".*", MatchKind::Regex, r"^\.[^/]*$"),
    ("abc.def", MatchKind::Exact, ""),
    ("abc?def", MatchKind::Regex, r"^abc[^/]def$"),
    ("**/foo/bar", MatchKind::Suffix, ""),
    ("a(b)c/def", MatchKind::Exact, ""),
    ("a.|)$(}+{bc", MatchKind::Exact, ""),
    (
        "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl",
        MatchKind::Exact,
        "",
    ),
];

#[test]
fn patternmatcher_compile_table() {
    for &(pattern, kind, regex) in COMPILE {
        let (k, re) = translate(&go_clean(pattern));
        assert_eq!(k, kind, "{pattern:?}");
        if kind == MatchKind::Regex {
            assert_eq!(re, regex, "{pattern:?}");
        }
        let di = single(pattern);
        assert_eq!(di.patterns()[0].kind(), kind, "{pattern:?}");
        if kind == MatchKind::Regex {
            assert_eq!(di.patterns()[0].regex_source(), Some(regex));
        }
    }
}

#[test]
fn ignorefile_read_all() {
    let content = "test1\n/test2\n/a/file/here\n\nlastfile\n# this is a comment\n! /inverted/abs/path\n!\n! \n";
    let got: Vec<String> = read_all(content).into_iter().map(|(_, p)| p).collect();
    assert_eq!(
        got,
        vec![
            "test1",
            "test2",
            "a/file/here",
            "lastfile",
            "!inverted/abs/path",
            "!",
            "!"
        ]
    );
    let lines: Vec<u32> = read_all(content).into_iter().map(|(l, _)| l).collect();
    assert_eq!(lines, vec![0, 1, 2, 4, 6, 7, 8]);
    // The lone "!" lines make patternmatcher.New fail: docker build fails.
    let di = DockerIgnore::parse(content);
    assert_eq!(di.patterns().len(), 5);
    assert_eq!(di.errors().len(), 2);
    assert!(di
        .errors()
        .iter()
        .all(|e| e.kind == PatternErrorKind::LoneExclamation));
    assert!(di.fails_build());
    assert!(read_all("").is_empty());
}

#[test]
fn reading_rules() {
    // Only a '#' in the first column starts a comment.
    assert_eq!(
        read_all("  # not a comment\n#comment\n")[0].1,
        "# not a comment"
    );
    // A BOM on the first line only.
    assert_eq!(read_all("\u{feff}.git\n")[0].1, ".git");
    assert_eq!(read_all("\u{feff}# comment\n.git")[0].1, ".git");
    // CRLF line endings.
    assert_eq!(
        read_all("a\r\nb\r\n"),
        vec![(0, "a".to_string()), (1, "b".to_string())]
    );
    // Clean and a leading slash.
    assert_eq!(read_all("./a/../b/")[0].1, "b");
    assert_eq!(read_all("/")[0].1, "/");
    assert_eq!(read_all("//x//y")[0].1, "x/y");
    assert_eq!(read_all("! /x")[0].1, "!x");
    assert_eq!(read_all("!!x")[0].1, "!!x");
    assert_eq!(read_all("\t.git\t")[0].1, ".git");
    assert_eq!(read_all("..")[0].1, "..");
    // "!/" → "!/" → cleaned "!" in New: an error.
    let di = DockerIgnore::parse("!/");
    assert_eq!(di.errors()[0].kind, PatternErrorKind::LoneExclamation);
    // A pattern "!!x" is an exception for the literal name "!x".
    let di = DockerIgnore::parse("*\n!!x");
    assert!(di.is_excluded("x"));
    assert!(!di.is_excluded("!x"));
    // The line range points into the file.
    let text = "node_modules\n  bad[\n";
    let di = DockerIgnore::parse(text);
    assert_eq!(&text[di.patterns()[0].line_range.clone()], "node_modules");
    assert_eq!(&text[di.errors()[0].line_range.clone()], "  bad[");
    assert_eq!(di.errors()[0].line, 1);
}

#[test]
fn long_lines_fail_the_read() {
    let text = format!("ok\n{}\n", "a".repeat(64 * 1024));
    let di = DockerIgnore::parse(&text);
    assert!(di
        .errors()
        .iter()
        .any(|e| e.kind == PatternErrorKind::LineTooLong && e.line == 1));
    assert!(di.fails_build());
    let text = format!("{}\n", "a".repeat(64 * 1024 - 1));
    assert!(DockerIgnore::parse(&text).errors().is_empty());
}

#[test]
fn last_match_wins_and_exceptions() {
    let di = DockerIgnore::parse("*.go\n!main.go\n");
    assert!(di.is_excluded("util.go"));
    assert!(!di.is_excluded("main.go"));
    assert!(!di.is_excluded("cmd/util.go"), "* does not cross /");
    assert!(di.has_exceptions());

    let di = DockerIgnore::parse("!main.go\n*.go\n");
    assert!(
        di.is_excluded("main.go"),
        "an exception before the pattern is overridden"
    );
    assert!(!di.has_exceptions() || di.has_exceptions());

    let di = DockerIgnore::parse("docs\n!docs/README.md\n");
    assert!(di.is_excluded("docs"));
    assert!(di.is_excluded("docs/other.md"));
    assert!(di.is_excluded("docs/sub/x.md"));
    assert!(!di.is_excluded("docs/README.md"));

    let di = DockerIgnore::parse("**/*.go\n!cmd/**\n");
    assert!(di.is_excluded("main.go"));
    assert!(di.is_excluded("internal/x/y.go"));
    assert!(!di.is_excluded("cmd/api/main.go"));

    // The allow-list style.
    let di = DockerIgnore::parse("*\n!go.mod\n!go.sum\n!cmd\n!internal\n");
    assert!(!di.is_excluded("go.mod"));
    assert!(!di.is_excluded("cmd/api/main.go"));
    assert!(di.is_excluded("README.md"));
    assert!(di.is_excluded(".git/HEAD"));
    assert!(di.excludes_git());
    assert!(!di.excludes("internal/x.go"));
}

#[test]
fn excluded_parent_directories() {
    let di = DockerIgnore::parse("node_modules\n");
    assert!(di.is_excluded("node_modules"));
    assert!(di.is_excluded("node_modules/a/b/c.js"));
    assert!(!di.is_excluded("web/node_modules/x"), "no implicit **/");
    let di = DockerIgnore::parse("**/node_modules\n");
    assert!(di.is_excluded("web/node_modules/x"));
    // Leading ./ and / in queries are the same path; the root is never excluded.
    let di = DockerIgnore::parse("*");
    assert!(di.is_excluded("./x"));
    assert!(di.is_excluded("/x"));
    assert!(!di.is_excluded("."));
    assert!(!di.is_excluded(""));
    assert!(!di.is_excluded("../x"));
}

#[test]
fn prefix_and_suffix_surprises() {
    // `**` at the start makes a plain suffix test: `**file` also matches `myfile`.
    let di = DockerIgnore::parse("**file");
    assert!(di.is_excluded("myfile"));
    assert!(di.is_excluded("a/notmyfile"));
    // A trailing `**` without a slash is a plain prefix test.
    let di = DockerIgnore::parse("di**");
    assert!(di.is_excluded("digest.txt"));
    assert!(di.is_excluded("dir/x"));
    // `dir/**` does not match `dir` itself.
    let di = DockerIgnore::parse("dir/**");
    assert!(!di.is_excluded("dir"));
    assert!(di.is_excluded("dir/x"));
}

#[test]
fn go_regexp_syntax_leaks_through() {
    let di = DockerIgnore::parse("log\\d.txt");
    assert!(di.is_excluded("log1.txt"));
    assert!(!di.is_excluded("logd.txt"));
    let di = DockerIgnore::parse("[[:upper:]]*");
    assert!(di.is_excluded("Makefile"));
    assert!(!di.is_excluded("main.go"));
    // `^` is not escaped: in a regexp pattern it anchors at the start of the path, so
    // `a^b*` matches nothing, while `a^b` (no wildcard: an exact match) is literal.
    let di = DockerIgnore::parse("a^b*");
    assert!(di.errors().is_empty());
    assert!(!di.is_excluded("a^bc"));
    assert!(DockerIgnore::parse("a^b").is_excluded("a^b"));
    // An escaped space or '#' is the character.
    let di = DockerIgnore::parse("my\\ file\n\\#x");
    assert!(di.is_excluded("my file"));
    assert!(di.is_excluded("#x"));
}

#[test]
fn broken_regexps() {
    // Valid glob, invalid Go regexp: the build fails once the pattern is evaluated.
    let di = DockerIgnore::parse("[z-a]");
    assert_eq!(di.patterns()[0].kind(), MatchKind::Broken);
    assert!(matches!(
        di.errors()[0].kind,
        PatternErrorKind::BadRegexp(_)
    ));
    assert!(di.fails_build());
    assert!(di.matches_or_parent_matches("x").is_err());
    assert!(!di.is_excluded("x"));
    // An exception is only evaluated when something matched before it.
    let di = DockerIgnore::parse("!x[z-a]");
    assert_eq!(di.matches_or_parent_matches("foo"), Ok(false));
    let di = DockerIgnore::parse("*\n!x[z-a]");
    assert!(di.matches_or_parent_matches("foo").is_err());
    assert!(di.is_excluded("foo"));
    // moby/moby#52203's pattern.
    let di = DockerIgnore::parse("[Local-Only]/");
    assert!(matches!(
        di.errors()[0].kind,
        PatternErrorKind::BadRegexp(_)
    ));
    // Unsupported but valid: matches nothing, does not fail the build.
    let di = DockerIgnore::parse("\\pL*\nkeep");
    assert!(matches!(
        di.errors()[0].kind,
        PatternErrorKind::Unsupported(_)
    ));
    assert!(!di.fails_build());
    assert!(di.is_excluded("keep"));
    assert_eq!(di.matches_or_parent_matches("x"), Ok(false));
}

#[test]
fn walker_differs_from_matches_or_parent_matches() {
    // patternmatcher's MatchesOrParentMatches keeps a/b (the exception matches its
    // parent), but BuildKit's walker evaluated `!a` at `a` while nothing had matched
    // (so it was skipped), and `a/b` stays excluded.
    let di = DockerIgnore::parse("a/b\n!a\n");
    assert_eq!(di.matches_or_parent_matches("a/b"), Ok(false));
    assert!(di.is_excluded("a/b"));
    assert!(di.is_excluded("a/b/c"));
    assert!(!di.is_excluded("a"));
    assert!(!di.is_excluded("a/c"));
}

#[test]
fn walker_skips_excluded_directories() {
    // Wildcard-free exceptions: a directory is only entered when one names a path in it.
    let di = DockerIgnore::parse("node_modules\n!node_modules/keep\n");
    assert!(!di.is_excluded("node_modules/keep"));
    assert!(!di.is_excluded("node_modules/keep/x"));
    assert!(di.is_excluded("node_modules/other"));
    // A wildcard exception makes the walker enter every excluded directory.
    let di = DockerIgnore::parse("build\n!**/*.keep\n");
    assert!(!di.is_excluded("build/a.keep"));
    assert!(di.is_excluded("build/a.o"));
}

#[test]
fn excludes_git_variants() {
    for (text, want) in [
        (".git", true),
        (".git/", true),
        ("/.git", true),
        ("./.git", true),
        ("**/.git", true),
        (".git/**", true),
        ("**/.git/**", true),
        (".git*", true),
        ("*", true),
        (".*", true),
        ("**", true),
        ("  .git  ", true),
        ("", false),
        ("*.md\nbin/", false),
        (".github", false),
        (".gitignore", false),
        ("# .git", false),
        (".git\n!.git/config", false),
        (".git\n!.git", false),
        ("git", false),
        ("\\.git", true),
    ] {
        assert_eq!(DockerIgnore::parse(text).excludes_git(), want, "{text:?}");
    }
}

#[test]
fn deciding_pattern_names_the_line() {
    let di = DockerIgnore::parse("# deps\nvendor\n*.md\n!README.md\n");
    assert_eq!(
        di.deciding_pattern("vendor/x/y.go").map(|p| p.line),
        Some(1)
    );
    assert_eq!(di.deciding_pattern("CHANGES.md").map(|p| p.line), Some(2));
    let p = di.deciding_pattern("README.md").unwrap();
    assert!(p.exception);
    assert_eq!(p.line, 3);
    assert!(di.deciding_pattern("main.go").is_none());
}

#[test]
fn finds_the_ignore_file_buildkit_uses() {
    let both = MemoryContext::new()
        .file("Dockerfile", "FROM scratch\n")
        .file("Dockerfile.dockerignore", "specific\n")
        .file(".dockerignore", "root\n")
        .file("build/api.Dockerfile", "FROM scratch\n")
        .file("build/api.Dockerfile.dockerignore", "api\n");
    assert_eq!(
        find_dockerignore(&both, "Dockerfile"),
        Some(("Dockerfile.dockerignore".into(), "specific\n".into()))
    );
    assert_eq!(
        find_dockerignore(&both, "./build/api.Dockerfile")
            .unwrap()
            .0,
        "build/api.Dockerfile.dockerignore"
    );
    assert_eq!(
        find_dockerignore(&both, "other.Dockerfile").unwrap().0,
        ".dockerignore"
    );
    assert_eq!(
        find_dockerignore(&both, "../outside/Dockerfile").unwrap().0,
        ".dockerignore"
    );
    let lower = MemoryContext::new()
        .file("dockerfile", "FROM scratch\n")
        .file("Dockerfile.dockerignore", "x\n");
    assert_eq!(
        find_dockerignore(&lower, "dockerfile").unwrap().0,
        "Dockerfile.dockerignore"
    );
    let none = MemoryContext::new()
        .file("Dockerfile", "")
        .dir(".dockerignore");
    assert_eq!(find_dockerignore(&none, "Dockerfile"), None);
    assert_eq!(find_dockerignore(&NoContext, "Dockerfile"), None);
}

/// A small deterministic generator (xorshift64*).
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
}

#[test]
fn random_patterns_never_panic_and_finish_quickly() {
    let pieces = [
        "a",
        "b",
        "/",
        "*",
        "**",
        "?",
        "[",
        "]",
        "^",
        "!",
        "\\",
        "-",
        ".",
        "..",
        "$",
        "(",
        ")",
        "|",
        "{",
        "}",
        "+",
        ":",
        "[:alpha:]",
        "\\d",
        "\\Q",
        "\\E",
        "\\x4",
        "#",
        " ",
        "\t",
        "\r",
        "\n",
        "é",
        "☺",
        "\u{feff}",
        "\0",
        "\\p",
        "{1,2}",
        "[^",
        "-]",
    ];
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let start = std::time::Instant::now();
    for _ in 0..3000 {
        let mut text = String::new();
        for _ in 0..(rng.next() % 40) {
            text.push_str(rng.pick(&pieces));
        }
        let di = DockerIgnore::parse(&text);
        for _ in 0..4 {
            let mut path = String::new();
            for _ in 0..(rng.next() % 30) {
                path.push_str(rng.pick(&["a", "b", "/", ".", "..", "é", "*", "\n", "x.go"]));
            }
            let _ = di.is_excluded(&path);
            let _ = di.matches_or_parent_matches(&path);
            let _ = di.deciding_pattern(&path);
        }
        let _ = di.excludes_git();
    }
    assert!(start.elapsed().as_secs() < 20, "took {:?}", start.elapsed());
}

#[test]
fn pathological_double_stars_are_linear() {
    let pattern = "**/a".repeat(60) + "/**/b*c*d*e*f";
    let di = DockerIgnore::parse(&pattern);
    let path = "a/".repeat(2000) + "x";
    let start = std::time::Instant::now();
    assert!(!di.is_excluded(&path));
    let _ = di.matches_or_parent_matches(&path);
    assert!(start.elapsed().as_secs() < 10, "took {:?}", start.elapsed());
}

/// The walker as written in fsutil, on the reference (slow) functions.
fn reference_walker(di: &DockerIgnore, file: &str) -> bool {
    let comps: Vec<&str> = file.split('/').collect();
    let mut info: Option<Vec<bool>> = None;
    for k in 0..comps.len() {
        let prefix = comps[..=k].join("/");
        let (m, next) = di
            .using_parent_results(&prefix, info.as_deref(), false)
            .unwrap();
        if k + 1 == comps.len() {
            return m;
        }
        if m && di.walker_skips_dir(&prefix) {
            return true;
        }
        info = Some(next);
    }
    false
}

#[test]
fn fast_paths_agree_with_the_reference() {
    let pieces = [
        "a", "b", "c", "/", "*", "**", "?", "[a-b]", "!", ".", "\\*", "x.go", "[^a]", "\n",
    ];
    let mut rng = Rng(0x1234_5678_9ABC_DEF1);
    for _ in 0..4000 {
        let mut text = String::new();
        for _ in 0..(rng.next() % 12) {
            text.push_str(rng.pick(&pieces));
        }
        let di = DockerIgnore::parse(&text);
        if di.fails_build() {
            continue;
        }
        for _ in 0..6 {
            let depth = 1 + rng.next() % 4;
            let comps: Vec<&str> = (0..depth)
                .map(|_| rng.pick(&["a", "b", "c", "ab", "x.go", "a.b", "*", "ba"]))
                .collect();
            let path = comps.join("/");
            let desc = format!("patterns={text:?} path={path:?}");
            assert_eq!(
                di.matches_or_parent_matches(&path),
                Ok(di.or_parent_matches(&path, true).unwrap()),
                "{desc}"
            );
            assert_eq!(
                di.is_excluded(&path),
                reference_walker(&di, &path),
                "{desc}"
            );
        }
    }
}
