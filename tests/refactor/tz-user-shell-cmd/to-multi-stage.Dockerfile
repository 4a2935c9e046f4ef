FROM golang:1.22-alpine AS builder
ENV TZ=Asia/Shanghai
RUN apk add --no-cache tzdata git
RUN adduser -D app
WORKDIR /home/app/src
COPY go.* ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -o /home/app/bin/server .

# Runtime image: only the binary and the files it needs at run time.
FROM alpine:3.24
RUN apk --no-cache add ca-certificates tzdata
RUN adduser -D -g '' app
WORKDIR /home/app/src
COPY --from=builder /home/app/bin/server /home/app/bin/server
ENV TZ=Asia/Shanghai
USER app
CMD ["/home/app/bin/server", "--port", "8080"]
