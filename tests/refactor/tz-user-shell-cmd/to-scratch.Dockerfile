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
FROM scratch
COPY --from=builder /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/
COPY --from=builder /usr/share/zoneinfo /usr/share/zoneinfo
WORKDIR /home/app/src
COPY --from=builder /home/app/bin/server /home/app/bin/server
ENV TZ=Asia/Shanghai
USER 65532:65532
CMD ["/home/app/bin/server", "--port", "8080"]
