"""_matching"""
