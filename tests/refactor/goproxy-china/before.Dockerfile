# A build from mainland China: modules come through goproxy.cn, set with `go env -w`
# after the source is copied. The early download the rewrite adds must use it too, or
# it would go to proxy.golang.org and hang.
FROM golang:1.22-alpine
WORKDIR /app
COPY . .
RUN go env -w GO111MODULE=on && go env -w GOPROXY=https://goproxy.cn,direct
RUN go mod download
RUN go build -o server .
EXPOSE 8888
CMD ["./server"]
