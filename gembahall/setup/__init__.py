"""Starting a center: loading the content a center needs before its first
inspection — checklists, standards and the service catalogue — from the
product's starter set or the center's own files. It sits above the sources,
whose loaders it composes, and below the demo, which starts its center the
same way."""
