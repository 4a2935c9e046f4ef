ARG GO_VERSION=1.22
FROM golang:${GO_VERSION}-alpine
ARG VERSION=dev
WORKDIR /build
COPY . .
RUN go build -ldflags "-s -w -X main.version=${VERSION}" -o /usr/local/bin/app .
# Shown by `docker inspect`
LABEL org.opencontainers.image.version=$VERSION
ENV APP_ENV=production
EXPOSE 9000
ENTRYPOINT ["app"]
CMD ["serve"]
