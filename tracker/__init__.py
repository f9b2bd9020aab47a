"""YOS improvement plan tracker: turn an HMIP inspection report into a plan and keep it true."""

__version__ = "0.1.0"
