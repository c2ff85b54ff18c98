"""NN Playground's PySide6 application; imports ``playground``, never the reverse."""
