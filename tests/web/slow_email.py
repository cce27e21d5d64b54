"""An e-mail backend for tests of workers killed half way: Django's file backend, a fifth of a second per message
(as a slow mail server), so that a test can kill a worker while it is sending."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from django.core.mail.backends.filebased import EmailBackend as FileBackend


class EmailBackend(FileBackend):  # type: ignore[misc]
    def send_messages(self, email_messages: Sequence[Any]) -> int:
        sent = 0
        for message in email_messages:
            time.sleep(0.2)
            sent += super().send_messages([message])
        return sent
