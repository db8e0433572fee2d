@_exported import SundialExposition
@_exported import SundialGenerator
@_exported import SundialStorage
