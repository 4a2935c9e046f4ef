FROM golang:1.22-alpine AS builder
# ffmpeg is what the service shells out to; git is only for the build
RUN apk add --no-cache ffmpeg git
WORKDIR /app
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -o /app/transcoder ./cmd/transcoder

# Runtime image: only the binary and the files it needs at run time.
FROM alpine:3.24
RUN apk --no-cache add ca-certificates ffmpeg
RUN adduser -D -g '' appuser
WORKDIR /app
COPY --from=builder /app/transcoder ./transcoder
# The app now runs as a non-root user: a folder it writes to must belong to that user (COPY --chown).
USER appuser
ENTRYPOINT ["/app/transcoder"]
