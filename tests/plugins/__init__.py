"""pytest plugins of this suite (registered in tests/conftest.py's `pytest_plugins`)."""
