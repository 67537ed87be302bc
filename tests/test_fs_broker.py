"""The embedded broker (kombu's filesystem transport, with atomic puts): a reader polling while a writer puts never
gets a partial message, and every message arrives once."""

from __future__ import annotations

import threading
from pathlib import Path

from celery import Celery

from qlp_core.celery_contract import celery_config
from qlp_core.fs_broker import Transport
from qlp_core.settings import Settings

N = 1500


def test_a_polling_reader_gets_every_message_whole_and_once(tmp_path: Path) -> None:
    settings = Settings.model_validate({"home": tmp_path, "mode": "embedded"})
    app = Celery("qlp-broker-test")  # not make_celery's app of this process: that one keeps another test's folder
    app.conf.update(celery_config(settings))
    got: list[int] = []
    errors: list[BaseException] = []
    with app.connection_for_write() as writer_conn, app.connection_for_write() as reader_conn:
        assert isinstance(writer_conn.transport, Transport)
        inbox = reader_conn.SimpleQueue("stress")
        outbox = writer_conn.SimpleQueue("stress")

        def read() -> None:
            try:
                while len(got) < N:
                    message = inbox.get(timeout=30)  # polls the folder while the writer writes
                    got.append(int(message.payload["n"]))
                    message.ack()
            except BaseException as exc:  # a partial file read as JSON ends here
                errors.append(exc)

        reader = threading.Thread(target=read)
        reader.start()
        for n in range(N):
            outbox.put({"n": n, "pad": "x" * 2000})
        reader.join(120)
        inbox.close()
        outbox.close()
    assert errors == []
    assert sorted(got) == list(range(N))
    assert not list((settings.broker_folder / "messages").iterdir())  # nothing left, no stray partial file
