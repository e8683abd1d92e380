"""Deploy tooling (`make deploy` / `make destroy`); never shipped to Lambda. Run the modules with
`python -m scripts.<name>` from the repository root; docs/deploy.md walks through them."""
