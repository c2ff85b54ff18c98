"""The command-line verbs; adding one is a module here and one line in ``COMMANDS``."""

from playground.commands import gradcheck

COMMANDS = [gradcheck]
