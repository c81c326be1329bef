"""pytest plugins the kit's own tests load into subprocess runs of the specs."""
