import setuptools

# Everything is in setup.cfg (pbr); pyproject.toml names the build backend.
setuptools.setup(setup_requires=['pbr>=5.0'], pbr=True)
