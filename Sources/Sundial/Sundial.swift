@_exported import SundialExposition
@_exported import SundialGenerator
@_exported import SundialQuery
@_exported import SundialSLO
@_exported import SundialStorage
