# cgo is on (go-sqlite3 needs it), but the external linker links everything statically:
# the binary needs no C library at run time, so scratch or distroless static fit.
FROM golang:1.22-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download && go mod verify
COPY . .
RUN CGO_ENABLED=1 go build -ldflags '-s -w -linkmode external -extldflags "-static"' -o /out/app .

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates && rm -rf /var/lib/apt/lists/*
COPY --from=build /out/app /usr/local/bin/app
USER 65532:65532
ENTRYPOINT ["app"]
