"""Ralph's xAPI app with its file-system backend appending to its statements file.

Ralph 5.1.0's fs backend writes with operation type CREATE/INDEX, which refuses a file that
exists: the first POST creates `fs_lrs.jsonl` and every later one fails with HTTP 500
("Statements bulk indexation failed"; the log says "fs_lrs.jsonl already exists and overwrite
is not allowed"). Appending is what an LRS on files needs. Used by `make lrs` and
tests/browser/lrs.test.mjs: `uvicorn --app-dir scripts ralph_fs:app`.
"""

from ralph.backends.data.base import BaseOperationType
from ralph.backends.data.fs import FSDataBackend

FSDataBackend.default_operation_type = BaseOperationType.APPEND

from ralph.api import app  # noqa: E402  (after the patch: the app builds its backend on import)

__all__ = ["app"]
