# Build stage
FROM golang:1.21-alpine AS builder

# Certificates and time zones for the runtime
RUN apk add --no-cache git ca-certificates tzdata

# An unprivileged user
RUN adduser -D -g '' appuser

WORKDIR /app

COPY go.mod go.sum ./
RUN go mod download
RUN go mod verify

COPY . .

RUN CGO_ENABLED=0 GOOS=linux GOARCH=amd64 go build \
    -ldflags='-w -s -extldflags "-static"' -a \
    -o /app/main .

# Runtime stage
FROM scratch

COPY --from=builder /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/
COPY --from=builder /usr/share/zoneinfo /usr/share/zoneinfo
COPY --from=builder /etc/passwd /etc/passwd

COPY --from=builder /app/main /main

USER appuser

EXPOSE 8080
ENTRYPOINT ["/main"]
