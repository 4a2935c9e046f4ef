# syntax=docker/dockerfile:1
FROM --platform=$BUILDPLATFORM golang:1.22-alpine AS builder
ARG TARGETOS
ARG TARGETARCH
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH go build -trimpath -ldflags="-s -w" -o /out/server ./cmd/server

# Runtime image: only the binary and the files it needs at run time.
FROM gcr.io/distroless/static-debian12:nonroot
WORKDIR /src
COPY --from=builder /out/server /out/server
# The app now runs as a non-root user: a folder it writes to must belong to that user (COPY --chown).
USER nonroot
ENTRYPOINT ["/out/server"]
