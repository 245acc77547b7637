"""gunicorn settings for `marketplace.wsgi:app` (read from the working directory; the Procfile names it too).

The app is loaded once in the master (`preload_app`): the encoders, the tokenizer's dictionary and the kept
scenario vectors are read there and shared by every forked worker, page by page, instead of each worker
loading its own copy. After the fork a worker drops the master's database connections and warms the models
itself (a model's thread pool does not survive a fork) before it accepts its first request.
"""
import os

os.environ["MARKETPLACE_PRELOADED"] = "1"
preload_app = True


def post_fork(server, worker):
    """The worker's own database connections."""
    from marketplace.wsgi import after_fork

    after_fork()


def post_worker_init(worker):
    """Warm up before the first request."""
    from marketplace.wsgi import warm_worker

    warm_worker()
