"""_gazetteer"""
