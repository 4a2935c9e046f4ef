FROM golang:1.23-alpine AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/api ./cmd/api

FROM alpine:3.20
RUN apk add --no-cache ca-certificates tzdata \
    && addgroup -S app && adduser -S -G app app
ENV TZ=Europe/Berlin
COPY --from=build --chown=root:root /out/api /usr/local/bin/api
COPY --chown=app:app configs/ /etc/api/
USER app:app
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/api", "--config", "/etc/api/config.yaml"]
