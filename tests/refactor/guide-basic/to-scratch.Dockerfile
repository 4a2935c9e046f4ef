# The guide's first Dockerfile: one stage on the Go toolchain.
FROM golang:1.21-alpine AS builder

# Set the working directory
WORKDIR /app
COPY go.mod go.sum ./
RUN go mod download
COPY . .

RUN CGO_ENABLED=0 go build -o main .

# Runtime image: only the binary and the files it needs at run time.
FROM scratch
COPY --from=builder /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/
WORKDIR /app
COPY --from=builder /app/main ./main
EXPOSE 8080
# The app now runs as a non-root user: a folder it writes to must belong to that user (COPY --chown).
USER 65532:65532
CMD ["./main"]
