"""Legal clocks for every workflow: the catalogue, each bureau's settings, and deadlines computed by the kernel."""
