"""Write services of the cases app: cases, events, obligations, imports."""
