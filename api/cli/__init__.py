"""The command line room: the `maillage` CLI, the demo, import and retention."""
