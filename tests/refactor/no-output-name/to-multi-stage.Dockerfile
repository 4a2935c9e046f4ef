FROM golang:1.22-alpine AS builder
WORKDIR /go/src/app
COPY go.* ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build

# Runtime image: only the binary and the files it needs at run time.
FROM alpine:3.24
RUN apk --no-cache add ca-certificates
RUN adduser -D -g '' appuser
WORKDIR /go/src/app
COPY --from=builder /go/src/app/app ./app
# The app now runs as a non-root user: a folder it writes to must belong to that user (COPY --chown).
USER appuser
CMD ["./app"]
