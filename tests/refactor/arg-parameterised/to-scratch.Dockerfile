ARG GO_VERSION=1.22
FROM golang:${GO_VERSION}-alpine AS builder
ARG VERSION=dev
WORKDIR /build
COPY go.* ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -ldflags "-s -w -X main.version=${VERSION}" -o /usr/local/bin/app .

# Runtime image: only the binary and the files it needs at run time.
FROM scratch
COPY --from=builder /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/
ARG VERSION=dev
WORKDIR /build
COPY --from=builder /usr/local/bin/app /usr/local/bin/app
# Shown by `docker inspect`
LABEL org.opencontainers.image.version=$VERSION
ENV APP_ENV=production
EXPOSE 9000
# The app now runs as a non-root user: a folder it writes to must belong to that user (COPY --chown).
USER 65532:65532
ENTRYPOINT ["app"]
CMD ["serve"]
