"""The network editor: the layer palette, the canvas of blocks, the inspector, and the
undo commands every edit of the document's spec goes through."""
