FROM golang:1.22-alpine AS builder
WORKDIR /go/src/app
COPY go.* ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build

# Runtime image: only the binary and the files it needs at run time.
FROM scratch
COPY --from=builder /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/
WORKDIR /go/src/app
COPY --from=builder /go/src/app/app ./app
# The app now runs as a non-root user: a folder it writes to must belong to that user (COPY --chown).
USER 65532:65532
CMD ["./app"]
