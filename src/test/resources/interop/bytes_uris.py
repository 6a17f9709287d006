"""How Bytes' libraries read its QUEUE_URI and BYTES_DB_URI: pika's URLParameters (bytes/bytes/rabbitmq.py) and
SQLAlchemy's make_url with the arguments it gives psycopg2 (bytes/bytes/database/db.py). One URI per line on stdin
("queue <uri>" or "db <uri>"), one JSON object per line on stdout; {"error": ...} where the library refuses the URI.
Debian: python3-pika, python3-sqlalchemy."""
import json
import sys

import pika
from sqlalchemy.engine import make_url


def queue(uri):
    parameters = pika.URLParameters(uri)
    return {"host": parameters.host, "port": parameters.port, "virtual_host": parameters.virtual_host,
            "username": parameters.credentials.username, "password": parameters.credentials.password,
            "tls": parameters.ssl_options is not None, "heartbeat": parameters.heartbeat}


def db(uri):
    url = make_url(uri)
    return {"driver": url.get_backend_name(), "username": url.username, "password": url.password, "host": url.host,
            "port": url.port, "database": url.database, "query": dict(url.query)}


for line in sys.stdin:
    kind, uri = line.rstrip("\n").split(" ", 1)
    try:
        print(json.dumps(queue(uri) if kind == "queue" else db(uri)))
    except Exception as error:  # the library refuses the URI: so must Bytekeep
        print(json.dumps({"error": f"{type(error).__name__}: {error}"}))
