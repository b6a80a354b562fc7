"""pyiceberg's private data-file writer: touched only here, with pyiceberg pinned exactly and a contract test.

A load replaces the data files of the commodities it brings in one snapshot, deleting their old files and adding
the new ones in one overwrite; pyiceberg's public overwrite would add a delete snapshot before the append.
"""
from pyiceberg.io.pyarrow import _dataframe_to_data_files


def data_files(table_metadata, arrow, io, write_uuid, counter=None):
    """Return the data files pyiceberg writes for arrow under the table's metadata, named with write_uuid and
    numbered by counter (shared by the calls of one snapshot, so that no two files get one name)."""
    return _dataframe_to_data_files(table_metadata=table_metadata, df=arrow, io=io, write_uuid=write_uuid,
                                    counter=counter)
