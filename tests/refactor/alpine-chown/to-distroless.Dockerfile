FROM golang:1.23-alpine AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/api ./cmd/api

FROM gcr.io/distroless/static-debian12:nonroot
ENV TZ=Europe/Berlin
COPY --from=build --chown=0:0 /out/api /usr/local/bin/api
COPY --chown=nonroot configs/ /etc/api/
USER nonroot
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/api", "--config", "/etc/api/config.yaml"]
