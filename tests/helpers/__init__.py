"""Code the test files share: waiting, recording speech, driving the app, the CLI and a real
terminal. Fixtures live in tests/conftest.py; test files import from here, never each other."""
