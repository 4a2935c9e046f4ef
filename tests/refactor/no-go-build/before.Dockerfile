FROM alpine:3.20
RUN apk --no-cache add curl
COPY run.sh /run.sh
CMD ["/run.sh"]
