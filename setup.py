import setuptools

# Everything is in setup.cfg (pbr); the asset copying is setup_assets.py.
setuptools.setup(setup_requires=['pbr>=5.0'], pbr=True)
