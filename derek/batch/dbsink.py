"""Batch output into derek's store (`--db URL`) instead of a JSONL file.

Each article is added in its own transaction by `derek.store.Store.add`, with the batch id
as the article's `ext_id`; ids already stored are skipped on a re-run.  A kill -9 loses at
most the article being written (its transaction rolls back), and the store's content hash
keeps a text stored under another id from being stored twice.
"""
from __future__ import annotations

import json

from derek.io import InputError


class DbSink:
    def __init__(self, url: str):
        from sqlalchemy import select

        from derek.store import Store, StoreError
        from derek.store.models import Article

        try:
            self.store = Store(url)
            with self.store.session() as s:
                self.done_ids = set(s.scalars(select(Article.ext_id).where(Article.ext_id.is_not(None))))
        except StoreError as exc:
            raise InputError(str(exc)) from None
        self.repaired_bytes = 0
        self.written = 0

    def write(self, rid: str, line: str) -> None:
        from derek.store.store import document_from_dict

        record = json.loads(line)
        doc = document_from_dict(record["document"])
        self.store.add(doc, ext_id=rid)
        self.done_ids.add(rid)
        self.written += 1

    def close(self) -> None:
        self.store.close()
