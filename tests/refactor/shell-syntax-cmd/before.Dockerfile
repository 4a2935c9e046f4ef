FROM golang:1.22-alpine AS builder
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -o /bin/app .

FROM alpine:3.20
COPY --from=builder /bin/app /bin/app
USER 1000
CMD /bin/app --port ${PORT:-8080}
