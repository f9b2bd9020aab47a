"""The tracker's dialogs: each a typed ModalScreen that returns its result with dismiss(value)."""
