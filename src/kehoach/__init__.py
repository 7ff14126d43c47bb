"""kehoach: theo dõi thực hiện kế hoạch, từng đơn vị, từng kỳ."""

__version__ = "0.1.0"
