"""OpenKAT Bytes for bench/vs-bytes.sh: Bytes' own application with one lock around its RabbitMQ publish.

As shipped, all request threads of a Bytes process share one pika BlockingConnection (the event manager is cached) and
pika is not thread-safe: concurrent uploads end in 500s or hangs (the file is stored, the event is not published).
The lock is the smallest change that lets Bytes serve concurrent uploads, and the results say it is there. Everything
else is Bytes as its Debian unit runs it (gunicorn, UvicornWorker, 3 workers), through compat/openkat's
bytes_reference wrapper (a body without Content-Type read as JSON, as the FastAPI version Bytes pins does).
"""

import threading

from bytes.rabbitmq import RabbitMQEventManager

_lock = threading.Lock()
_publish = RabbitMQEventManager.publish


def _publish_one_at_a_time(self, event):
    with _lock:
        _publish(self, event)


RabbitMQEventManager.publish = _publish_one_at_a_time

from bytes_reference import app  # noqa: E402,F401  (after the patch: Bytes' modules bind the class, not the method)
