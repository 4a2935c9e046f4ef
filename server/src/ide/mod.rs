//! Editor features over the pure core: completion, and the texts hovers show.
//! Architecture invariant: no I/O here; the LSP layer converts positions and types.

pub mod completion;
pub mod format;
pub mod hover;
pub mod navigation;
pub mod tokens;

use crate::i18n::Lang;

/// One line on what an instruction does.
pub fn keyword_doc(k: crate::syntax::Keyword, lang: Lang) -> Option<&'static str> {
    use crate::syntax::Keyword::*;
    Some(match (k, lang) {
        (From, Lang::En) => "starts a build stage from a base image (`FROM image AS name`).",
        (From, Lang::Zh) => "以某个基础镜像开始一个构建阶段（`FROM 镜像 AS 名称`）。",
        (Run, Lang::En) => "runs a command while building the image and commits the result as a layer.",
        (Run, Lang::Zh) => "在构建镜像时执行命令，并把结果提交为一层。",
        (Copy, Lang::En) => "copies files from the build context or another stage (`--from`) into the image.",
        (Copy, Lang::Zh) => "把构建上下文或其他阶段（`--from`）中的文件复制到镜像里。",
        (Add, Lang::En) => "like COPY, but also fetches URLs and unpacks local archives; prefer COPY.",
        (Add, Lang::Zh) => "与 COPY 类似，但还会下载 URL、解压本地归档文件；一般应优先使用 COPY。",
        (Cmd, Lang::En) => "the default command of the container; use the JSON (exec) form.",
        (Cmd, Lang::Zh) => "容器的默认命令；请使用 JSON（exec）形式。",
        (Entrypoint, Lang::En) => "the executable the container runs; CMD supplies its default arguments.",
        (Entrypoint, Lang::Zh) => "容器运行的可执行程序；CMD 为它提供默认参数。",
        (Env, Lang::En) => "sets environment variables for later instructions and the running container.",
        (Env, Lang::Zh) => "设置环境变量，后续指令和运行中的容器都能看到。",
        (Arg, Lang::En) => "declares a build argument (`--build-arg`); before FROM it is only visible in FROM lines.",
        (Arg, Lang::Zh) => "声明构建参数（`--build-arg`）；写在 FROM 之前时只在 FROM 行中可见。",
        (Workdir, Lang::En) => "sets the working directory; use an absolute path.",
        (Workdir, Lang::Zh) => "设置工作目录；请使用绝对路径。",
        (User, Lang::En) => "sets the user the container runs as; use a non-root user.",
        (User, Lang::Zh) => "设置容器运行时使用的用户；请使用非 root 用户。",
        (Expose, Lang::En) => "documents the ports the app listens on; publishing happens with `docker run -p`.",
        (Expose, Lang::Zh) => "声明应用监听的端口；真正发布端口要用 `docker run -p`。",
        (Label, Lang::En) => "adds metadata to the image (`org.opencontainers.image.*`).",
        (Label, Lang::Zh) => "为镜像添加元数据（`org.opencontainers.image.*`）。",
        (Healthcheck, Lang::En) => "tells Docker how to check that the container still works.",
        (Healthcheck, Lang::Zh) => "告诉 Docker 如何检查容器是否仍在正常工作。",
        (Shell, Lang::En) => "changes the shell used by shell-form RUN, CMD and ENTRYPOINT.",
        (Shell, Lang::Zh) => "更改 shell 形式的 RUN、CMD 和 ENTRYPOINT 所用的 shell。",
        (Volume, Lang::En) => "declares a mount point for data that outlives the container.",
        (Volume, Lang::Zh) => "声明一个挂载点，用于保存比容器生命周期更长的数据。",
        (Stopsignal, Lang::En) => "the signal that stops the container (default SIGTERM).",
        (Stopsignal, Lang::Zh) => "停止容器时发送的信号（默认 SIGTERM）。",
        (Onbuild, Lang::En) => "an instruction that runs when another image is built FROM this one.",
        (Onbuild, Lang::Zh) => "当其他镜像以本镜像为基础构建时才执行的指令。",
        (Maintainer, Lang::En) => "deprecated: use `LABEL org.opencontainers.image.authors`.",
        (Maintainer, Lang::Zh) => "已弃用：请使用 `LABEL org.opencontainers.image.authors`。",
        (Unknown, _) => return None,
    })
}
