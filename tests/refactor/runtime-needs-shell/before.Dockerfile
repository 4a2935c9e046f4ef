FROM golang:1.22-alpine AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -o /out/app .

FROM alpine:3.20
RUN apk --no-cache add ca-certificates && mkdir -p /data
COPY --from=build /out/app /usr/local/bin/app
USER 65532:65532
VOLUME /data
ENTRYPOINT ["app"]
