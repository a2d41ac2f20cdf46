"""Reading an article aloud, free of any UI: the session (position and navigation over the speech
queue), the controller the app drives, the typed speech tags and the voice choice."""
