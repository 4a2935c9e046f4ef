# A build from mainland China: modules come through goproxy.cn, set with `go env -w`
# after the source is copied. The early download the rewrite adds must use it too, or
# it would go to proxy.golang.org and hang.
FROM golang:1.22-alpine AS builder
WORKDIR /app
COPY go.* ./
RUN GO111MODULE=on GOPROXY=https://goproxy.cn,direct go mod download
COPY . .
RUN go env -w GO111MODULE=on && go env -w GOPROXY=https://goproxy.cn,direct
RUN go mod download
RUN CGO_ENABLED=0 go build -o server .

# Runtime image: only the binary and the files it needs at run time.
FROM alpine:3.24
RUN apk --no-cache add ca-certificates
RUN adduser -D -g '' appuser
WORKDIR /app
COPY --from=builder /app/server ./server
EXPOSE 8888
# The app now runs as a non-root user: a folder it writes to must belong to that user (COPY --chown).
USER appuser
CMD ["./server"]
