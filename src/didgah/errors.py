"""One error family for everything a user can get wrong: the CLI prints the message and exits 2."""


class DidgahError(Exception):
    """A problem with the user's input (config, data, model file), stated in one line.

    The message names the file, row or key at fault, so the CLI can print it as it is.
    """


class ConfigError(DidgahError):
    """An experiment config that is malformed, or names an unknown component or key."""


class DataError(DidgahError):
    """A corpus that is missing, unreadable, or does not match its declared schema."""


class ModelFileError(DidgahError):
    """A model file that is missing, corrupt, not skops, or asks for untrusted types."""


class DidgahWarning(UserWarning):
    """Something the user should know that does not stop the work (a text cut, a cache not usable).

    The CLI prints it as one line ``didgah: warning: ...``."""
