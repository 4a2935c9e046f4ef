FROM golang:1.22-alpine
ENV TZ=Asia/Shanghai
RUN apk add --no-cache tzdata git
RUN adduser -D app
WORKDIR /home/app/src
COPY . .
RUN go build -o /home/app/bin/server .
USER app
CMD /home/app/bin/server --port 8080
