"""Reading an article aloud, free of any UI: the session (position and navigation over the speech
queue), the controller the app drives (every key's work, the notices, the saves), the typed
speech tags, and how shown text maps to what is said."""
