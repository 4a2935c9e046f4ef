FROM golang:1.22-alpine
# ffmpeg is what the service shells out to; git is only for the build
RUN apk add --no-cache ffmpeg git
WORKDIR /app
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN go build -o /app/transcoder ./cmd/transcoder
ENTRYPOINT ["/app/transcoder"]
