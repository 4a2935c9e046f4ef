FROM golang:1.23-alpine AS build
RUN apk add --no-cache tzdata
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/api ./cmd/api

FROM scratch
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/
COPY --from=build /usr/share/zoneinfo /usr/share/zoneinfo
ENV TZ=Europe/Berlin
COPY --from=build --chown=0:0 /out/api /usr/local/bin/api
COPY --chown=65532:65532 configs/ /etc/api/
USER 65532:65532
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/api", "--config", "/etc/api/config.yaml"]
