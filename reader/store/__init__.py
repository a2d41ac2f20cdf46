"""What reader remembers about articles between runs, in one SQLite file shared by every reader.

::

    <platformdirs.user_data_dir("reader")>/state.sqlite3   (env READER_DATA_DIR: the folder)

Today it holds resume positions and the recent-articles list; later features (feeds, feed items,
bookmarks) add their tables through ``state.MIGRATIONS``. Settings are not here: they stay in the
human-editable settings.toml (reader/settings.py).

Why SQLite, and how it is used:

* Several readers may run at once (two terminals, `reader serve` pages). Each change is one short
  ``BEGIN IMMEDIATE`` transaction that upserts or deletes the rows it touches, never a rewrite of
  the whole state from one process's memory, so no reader loses another's position or recent
  entry. WAL mode lets readers read while one writes; ``busy_timeout`` makes a writer wait for
  another's (millisecond) transaction instead of failing.
* Reads go to the file every time, so a reader sees what the others saved.
* Schema changes are numbered steps; ``schema_version`` records how many have run. Steps only add
  tables or columns, so an older reader can still use a file a newer one has upgraded.
* The first open imports the JSON files older versions wrote (positions.json, recent.json) and
  renames them to ``<name>.migrated``.
* A damaged file is renamed to ``state.sqlite3.corrupt-<YYYYmmddTHHMMSS>`` and a fresh one started,
  with a message. A file that cannot be opened (full disk, read-only folder) leaves the store
  working in memory for this run, with a message; every later save tries again.
* A failed save raises SettingsError (exit code 3) with one plain sentence, e.g. "Could not save
  your place: the disk is full."; the change is kept in memory so the session goes on, and it is
  written with the next change that succeeds.

API for the app::

    store, messages = load_store()                 # Store, list[str] to say and show
    store.save_position(source, section=3, sentence=2, title="Drug guide")
    pos = store.position(source)                   # Position | None
    store.add_recent(source, "Drug guide")
    store.recent()                                 # list[RecentItem], most recent first

The modules: `state` (the Store, opening and saving, the list of schema steps), `schema` (the
tables, the records read back, the writes), `legacy` (the JSON files of older readers).
"""

from reader.store.schema import MAX_RECENT, Position, RecentItem
from reader.store.state import STATE_FILE, Store, load_store

__all__ = ["MAX_RECENT", "STATE_FILE", "Position", "RecentItem", "Store", "load_store"]
